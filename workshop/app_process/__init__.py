"""The app process: the learner's app, run inside the jail (workshop/jail/) and driven by the judge.

app_server.py serves the app over the bridge, tracing.py says which of the learner's files served a
request, mutants.py breaks the app on purpose for step 5's tests, and zygote.py is the warm worker that
forks each of them from libraries imported once.
"""
