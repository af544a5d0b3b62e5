from gates.cli import main

raise SystemExit(main())
