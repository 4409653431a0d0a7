import sys

from sharebound_verify.cli import main

sys.exit(main())
