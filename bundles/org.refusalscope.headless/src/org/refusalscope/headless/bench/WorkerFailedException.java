package org.refusalscope.headless.bench;

import java.util.List;

import com.google.gson.JsonObject;

/**
 * A worker that ended without its result (killed, out of memory, an error), with the rows it had already
 * streamed ({@code {"partial": section, "row": {...}}} lines), so the report keeps what was measured.
 */
public final class WorkerFailedException extends IllegalStateException {

	private static final long serialVersionUID = 1L;
	private final transient List<JsonObject> partialRows;

	public WorkerFailedException(String message, List<JsonObject> partialRows) {
		super(message);
		this.partialRows = List.copyOf(partialRows);
	}

	/** Streamed lines, each {@code {"partial": section, "row": {...}}}. */
	public List<JsonObject> partialRows() {
		return partialRows;
	}
}
