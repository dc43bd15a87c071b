"""
The course toolchain: course sources (``courses/<slug>/``) to an OLX archive that Studio
imports, its checks, and a local preview. ``lamap-course`` (``cli.py``) is its command.

``model`` is the course both sides share; ``sources`` reads an author's files into it,
``writer`` turns it into OLX files and a deterministic archive, ``reader`` reads OLX
back into it, ``checks`` validates it, ``preview`` serves it.
"""
