"""relist.present"""
