"""relist.addin"""
