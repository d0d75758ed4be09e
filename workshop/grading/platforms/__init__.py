"""The grading platforms: Gradescope, GitHub Classroom, and the submissions Moodle and Canvas hand over."""
