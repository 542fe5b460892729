"""relist.sequence"""
