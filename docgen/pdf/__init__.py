"""PDF: LibreOffice's conversion and the combining of a group's documents into one PDF.
"""
