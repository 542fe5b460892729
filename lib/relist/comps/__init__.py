"""relist.comps"""
