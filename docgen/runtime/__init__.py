"""The machine docgen runs on: files written atomically under safe names, the disk cache,
processes that end with their parent.
"""
