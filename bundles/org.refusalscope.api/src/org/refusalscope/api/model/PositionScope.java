package org.refusalscope.api.model;

/** Which token positions an edit applies to. */
public enum PositionScope {
	/** Every position of the prompt and every generated token (the default of the method). */
	ALL,
	/** Prompt tokens only. */
	PROMPT,
	/** Generated tokens only. */
	GENERATED
}
