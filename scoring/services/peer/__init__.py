"""Peer scoring (chấm chéo): every member scores every other member, never itself.

A member's verified points on a line are the mean of the other members' points, optionally
without one highest and one lowest (``ScoringSeason.peer_drop_extremes``). Each pair
(scorer → scored) has one ``PeerAssessment``: a draft carrying a version (a second writer is
told, never silently overwritten), then sent. Once every other member has sent its assessment,
the secretariat applies the means to the verified column of the sheets (``peer_apply``).

Peers give points directly on every leaf line, whatever the line's method, except the lines the
council office scores. The package is split by subdomain; import from the module that holds a
name (nothing is re-exported here):

- ``season``: the peer season of a bloc-year, the lines peers score, ``PeerError``;
- ``assessments``: saving and sending one scorer's assessment of another member;
- ``results``: the means of the sent assessments, line by line;
- ``applying``: the plan and the writing of the means into the sheets' verified column;
- ``progress``: who has scored whom (the progress page's matrix);
- ``grid``: one scorer's grid for one scored member (the peer sheet page).
"""
