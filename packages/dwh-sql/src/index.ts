// Public API of this package. Nothing is exported yet: see the open issue that builds it.
export {};
