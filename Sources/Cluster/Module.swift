// Cluster module.
