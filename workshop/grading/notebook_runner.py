"""Execute one notebook with nbclient (in the jail): exit code 0 when every cell ran, else 1 and why on stdout.

    python -I -c "...; from workshop.grading.notebook_runner import main; ..." NOTEBOOK SECONDS
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbclient.exceptions import CellTimeoutError
from nbclient.exceptions import DeadKernelError


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
        print(f"A cell raised {exc.ename}: {exc.evalue}", flush=True)
    except CellTimeoutError:
        print(f"A cell did not finish within {seconds} s.", flush=True)
    except DeadKernelError:
        print("The kernel died while running the notebook.", flush=True)
    else:
        return 0
    return 1
