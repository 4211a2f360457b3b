"""Run the Casefile web chat: `python app.py [--host ...] [--port ...] [--auth user:password]`.

The same as `casefile serve`; settings come from `CASEFILE_*` variables.
"""

import sys

from casefile.cli import main

if __name__ == "__main__":
    sys.argv = ["casefile", "serve", *sys.argv[1:]]
    main()
