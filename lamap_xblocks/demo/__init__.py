"""The local demo: the xblock-sdk workbench serving every lamap block (``make demo``)."""
