"""The live class board: while a session runs, the instructor sees who is stuck where.

``app`` is the board itself, a small Flask app served by waitress (``python3 -m workshop
board``); ``client`` is the learner's side, standard library only: join, leave, and the
reports that each self-check and catch-up send in the background.
"""
