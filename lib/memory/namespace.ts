/** The namespace of an input that names none. */
export const DEFAULT_NAMESPACE = "default";
