"""The campaign summary report (活动总结): figures per region and period, JSON and Excel."""
