"""Staff curation of the catalog: services, organizations, taxonomies, residents' change
reports. Views register on the catalog blueprint under /staff/catalog/."""
