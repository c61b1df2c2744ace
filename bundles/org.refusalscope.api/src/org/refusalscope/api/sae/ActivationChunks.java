package org.refusalscope.api.sae;

import java.io.IOException;

/**
 * Training activations for an SAE, in chunks that each fit in memory (a chunk is typically a memory-mapped file of
 * a disk cache). Rows are activation vectors of one hook point, {@code d_in} floats each.
 */
public interface ActivationChunks {

	int dIn();

	int chunkCount();

	/** Number of rows in chunk {@code index}. */
	int rows(int index);

	/** Chunk {@code index} as a row-major {@code [rows, d_in]} array. */
	float[] chunk(int index) throws IOException;

	default long totalRows() {
		long total = 0;
		for(int i = 0; i < chunkCount(); i++) {
			total += rows(i);
		}
		return total;
	}
}
