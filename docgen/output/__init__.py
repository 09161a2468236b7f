"""What a build leaves on disk: group folders with their manifests, the registry, the
bundle, the centre's summary.
"""
