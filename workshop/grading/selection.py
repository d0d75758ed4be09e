"""``--only NAME …``: regrade the named learners, keep every other learner's row as it is."""

from .outputs.roster import match
from .outputs.roster import match_key


def chosen(names, learners, people=None):
    """The learners that ``names`` designate (by submission name, or roster id, email or name)."""
    owners = match(learners, people)[0] if people else {}
    found = set()
    for name in names:
        key = match_key(name)
        hits = {learner for learner in learners
                if match_key(learner) == key or (learner in owners and key in owners[learner].keys())}
        if not hits:
            raise ValueError(f"--only {name}: no submission has this name (nor a roster entry that has it)")
        found |= hits
    return found


def earlier_record(journal, learner, key, config, only):
    """The record to keep for ``learner``: a learner named by --only is regraded, any other keeps its row."""
    if only is None:
        return journal.reusable(learner, key, config)
    return None if learner in only else journal.previous.get(learner)
