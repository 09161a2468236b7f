"""What the documents say: each document's context from a group's model, the annual
report's figures and charts.
"""
