"""Uploads: photos sent one per request (wx.uploadFile), attached later by id."""
