"""The workshop's commands, one module each: ``main(argv)`` parses the command line with argparse and calls
the library modules of the package, which import nothing from here. ``python3 -m workshop`` (workshop/__main__.py)
dispatches to them once the workshop's venv is set up.
"""

import argparse
import gc
import sys


def command_parser(command, doc, **options):
    """The parser of ``python3 -m workshop COMMAND``, described by ``doc`` as written, its reST quotes left out."""
    return argparse.ArgumentParser(prog=f"python3 -m workshop {command}", description=doc.replace("``", ""),
                                   formatter_class=argparse.RawDescriptionHelpFormatter, **options)


def exit_soon(code):
    """Exit with ``code``; the interpreter's teardown then walks none of the objects made so far for garbage (a
    twentieth of a second with Flask and the judge imported, a tenth of a self-check in a terminal)."""
    gc.freeze()
    sys.exit(code)
