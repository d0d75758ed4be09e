"""``python3 -m workshop lite --out DIR [--catchup N] [--pyodide PATH]``: the learner edition as a static
JupyterLite site.

See workshop/lite.py for what it holds; ``--catchup`` chooses, as for ``workshop edition``, up to which
step ``catchup`` works in the tab.
"""

from pathlib import Path

from ..lite import build
from ..lite import size
from . import command_parser
from .edition import catchup_option


def main(argv):
    parser = command_parser("lite", __doc__)
    parser.add_argument("--out", type=Path, required=True, help="the folder to write the site into")
    catchup_option(parser)
    parser.add_argument("--pyodide", type=Path, help="a local copy of the npm package pyodide (default: npm install)")
    args = parser.parse_args(argv)
    build(args.out, args.pyodide, catchup=args.catchup)
    files, total = size(args.out)
    print(f"Wrote the browser edition into {args.out}: {files} files, {total / 1e6:.1f} MB,"
          f" `catchup` up to step {args.catchup}."
          f" Serve it as static files, e.g. python3 -m http.server -d {args.out}")
    return 0
