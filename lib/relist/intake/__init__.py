"""relist.intake"""
