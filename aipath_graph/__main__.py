"""``python -m aipath_graph`` runs the ``aipath`` command."""

from aipath_graph.cli import main

if __name__ == "__main__":
    main()
