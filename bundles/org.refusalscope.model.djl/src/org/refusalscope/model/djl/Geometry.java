package org.refusalscope.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Masks and rotary tables of one batch geometry, built lazily once per pass in the pass's scope (not in a block's
 * manager: every block reuses them). {@link #queriesAt} narrows the queries to some tokens per row (keys stay all).
 */
final class Geometry {
	private final NDManager scope;
	private final TokenBatch batch;
	private final ModelConfig config;
	private final float[] invFreq;
	private final DataType dtype;
	/** For a narrowed geometry: the full one, and per row the indices of the kept query tokens. */
	private final Geometry all;
	private final int[] kept;
	private final int keptPerRow;
	private NDArray cos;
	private NDArray sin;
	private NDArray globalBias;
	private NDArray localBias;

	Geometry(NDManager scope, TokenBatch batch, ModelConfig config, float[] invFreq, DataType dtype) {
		this.scope = scope;
		this.batch = batch;
		this.config = config;
		this.invFreq = invFreq;
		this.dtype = dtype;
		this.all = null;
		this.kept = null;
		this.keptPerRow = 0;
	}

	private Geometry(Geometry all, int[] kept, int keptPerRow) {
		this.scope = all.scope;
		this.batch = all.batch;
		this.config = all.config;
		this.invFreq = all.invFreq;
		this.dtype = all.dtype;
		this.all = all;
		this.kept = kept;
		this.keptPerRow = keptPerRow;
	}

	/** The same batch with only these query tokens ({@code rows*perRow} indices among the new tokens). */
	Geometry queriesAt(int[] tokens, int perRow) {
		return new Geometry(this, tokens, perRow);
	}

	NDArray cos() {
		if(cos == null) {
			tables();
		}
		return cos;
	}

	NDArray sin() {
		if(sin == null) {
			tables();
		}
		return sin;
	}

	private void tables() {
		if(all != null) {
			cos = selectTokens(all.cos(), 1, kept, keptPerRow);
			sin = selectTokens(all.sin(), 1, kept, keptPerRow);
			return;
		}
		int b = batch.rows();
		int t = batch.tokens();
		NDArray positions = scope.create(batch.positions(), new Shape(b, t, 1)).toType(DataType.FLOAT32, false);
		NDArray frequencies = positions.mul(scope.create(invFreq, new Shape(1, 1, invFreq.length)));
		NDArray angles = frequencies.concat(frequencies, 2).reshape(b, t, 1, config.headDim());
		cos = angles.cos().toType(dtype, false);
		sin = angles.sin().toType(dtype, false);
	}

	NDArray globalBias() {
		if(globalBias == null) {
			globalBias = all != null ? selectTokens(all.globalBias(), 3, kept, keptPerRow) : bias(0);
		}
		return globalBias;
	}

	NDArray localBias() {
		if(localBias == null) {
			localBias = all != null ? selectTokens(all.localBias(), 3, kept, keptPerRow)
					: bias(config.slidingWindow());
		}
		return localBias;
	}

	/** Additive mask {@code [B,1,1,T,keys]}: 0 where a query may attend, -1e30 elsewhere (finite, so pads stay finite). */
	private NDArray bias(int window) {
		int b = batch.rows();
		int t = batch.tokens();
		int keys = batch.keys();
		NDArray queryIndex = scope.arange(batch.past(), batch.past() + t).reshape(t, 1);
		NDArray keyIndex = scope.arange(0, keys).reshape(1, keys);
		NDArray allowed = keyIndex.lte(queryIndex);
		if(window > 0) {
			allowed = allowed.logicalAnd(queryIndex.sub(keyIndex).lt(window));
		}
		NDArray valid = scope.create(batch.keyValid(), new Shape(b, 1, keys));
		allowed = allowed.reshape(1, t, keys).logicalAnd(valid);
		return allowed.toType(DataType.FLOAT32, false).sub(1f).mul(1e30f).reshape(b, 1, 1, t, keys);
	}

	/**
	 * The entries of {@code x} at some tokens per row: {@code x} has the rows on axis 0 and the tokens on
	 * {@code axis}; {@code tokens} holds {@code rows*perRow} token indices.
	 */
	static NDArray selectTokens(NDArray x, int axis, int[] tokens, int perRow) {
		long[] dims = x.getShape().getShape().clone();
		int rows = (int) dims[0];
		long[] index = new long[rows * perRow];
		for(int i = 0; i < index.length; i++) {
			index[i] = tokens[i];
		}
		long[] indexShape = new long[dims.length];
		java.util.Arrays.fill(indexShape, 1);
		indexShape[0] = rows;
		indexShape[axis] = perRow;
		dims[axis] = perRow;
		NDArray idx = x.getManager().create(index, new Shape(indexShape)).broadcast(new Shape(dims));
		return x.gather(idx, axis);
	}
}
