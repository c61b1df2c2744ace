package org.refusalscope.model.djl;

/**
 * The geometry of one chunk of tokens fed to the model: {@code rows x tokens} new tokens after {@code past} cached
 * ones, left padded. Everything here is small (per token, never per token pair), so it is built in Java; the masks
 * derived from it are built with engine operations.
 *
 * @param ids       token ids of the new tokens, row-major {@code rows*tokens}, pads hold any valid id
 * @param positions rotary position of each new token (0 for pads)
 * @param keyValid  per row and key (cached and new, {@code rows*(past+tokens)}): a real token, not padding
 * @param generated per row and new token: a generated token (for edit scopes)
 */
record TokenBatch(int rows, int tokens, int past, long[] ids, long[] positions, boolean[] keyValid,
		boolean[] generated) {

	int keys() {
		return past + tokens;
	}

	TokenBatch select(int[] rowIndices) {
		int n = rowIndices.length;
		long[] newIds = new long[n * tokens];
		long[] newPositions = new long[n * tokens];
		boolean[] newValid = new boolean[n * keys()];
		boolean[] newGenerated = new boolean[n * tokens];
		for(int i = 0; i < n; i++) {
			int row = rowIndices[i];
			System.arraycopy(ids, row * tokens, newIds, i * tokens, tokens);
			System.arraycopy(positions, row * tokens, newPositions, i * tokens, tokens);
			System.arraycopy(keyValid, row * keys(), newValid, i * keys(), keys());
			System.arraycopy(generated, row * tokens, newGenerated, i * tokens, tokens);
		}
		return new TokenBatch(n, tokens, past, newIds, newPositions, newValid, newGenerated);
	}

	/** Left-padded prompts: pads first, positions 0.. for the real tokens. */
	static TokenBatch prompts(java.util.List<int[]> sequences, int padId) {
		int rows = sequences.size();
		int tokens = 0;
		for(int[] sequence : sequences) {
			if(sequence.length == 0) {
				throw new IllegalArgumentException("empty token sequence");
			}
			tokens = Math.max(tokens, sequence.length);
		}
		long[] ids = new long[rows * tokens];
		long[] positions = new long[rows * tokens];
		boolean[] valid = new boolean[rows * tokens];
		for(int r = 0; r < rows; r++) {
			int[] sequence = sequences.get(r);
			int pad = tokens - sequence.length;
			for(int t = 0; t < tokens; t++) {
				int at = r * tokens + t;
				if(t < pad) {
					ids[at] = padId;
				} else {
					ids[at] = sequence[t - pad];
					positions[at] = t - pad;
					valid[at] = true;
				}
			}
		}
		return new TokenBatch(rows, tokens, 0, ids, positions, valid, new boolean[rows * tokens]);
	}
}
