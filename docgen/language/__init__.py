"""Russian: declension of names, titles and numbers, and the typography of the documents'
text.
"""
