"""relist.roi"""
