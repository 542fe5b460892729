"""relist.compliance"""
