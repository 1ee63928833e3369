"""The PySide6 desktop window. The only package (with the report's Qt renderer) that imports Qt."""
