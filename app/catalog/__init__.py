"""Catalog: categories, enterprises, certificates, products, local and negative lists."""
