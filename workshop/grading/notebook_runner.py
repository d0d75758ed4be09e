"""Execute one notebook with nbclient and print the verdict as a JSON line (runs in the sandbox).

    python -I -c "...; from workshop.grading.notebook_runner import main; ..." NOTEBOOK SECONDS
"""

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def main(argv=None):
    path, seconds = (argv or sys.argv[1:])[:2]
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=float(seconds), kernel_name="python3",
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        verdict = {"ok": False, "message": f"A cell raised {exc.ename}: {exc.evalue}"}
    except CellTimeoutError:
        verdict = {"ok": False, "message": f"A cell did not finish within {seconds} s."}
    except DeadKernelError:
        verdict = {"ok": False, "message": "The kernel died while running the notebook."}
    else:
        verdict = {"ok": True, "message": ""}
    print(json.dumps(verdict), flush=True)
    return 0
