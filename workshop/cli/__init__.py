"""The workshop's commands, one module each: ``main(argv)`` parses the command line with argparse and calls
the library modules of the package, which import nothing from here. ``python3 -m workshop`` (workshop/__main__.py)
dispatches to them once the workshop's venv is set up.
"""

import argparse


def command_parser(command, doc, **options):
    """The parser of ``python3 -m workshop COMMAND``, described by ``doc`` as written, its reST quotes left out."""
    return argparse.ArgumentParser(prog=f"python3 -m workshop {command}", description=doc.replace("``", ""),
                                   formatter_class=argparse.RawDescriptionHelpFormatter, **options)
