"""What each step of the workshop is called and which notebook teaches it."""

STEP_TITLES = {
    1: "Hello Flask (WSGI)",
    2: "Routing and REST",
    3: "Templates",
    4: "Sessions",
    5: "Testing",
    6: "Debug and deploy",
}
STEP_NOTEBOOKS = {
    1: "notebooks/01_hello_flask.ipynb",
    2: "notebooks/02_routing_and_rest.ipynb",
    3: "notebooks/03_templates.ipynb",
    4: "notebooks/04_sessions.ipynb",
    5: "notebooks/05_testing.ipynb",
    6: "notebooks/06_debug_and_deploy.ipynb",
}
