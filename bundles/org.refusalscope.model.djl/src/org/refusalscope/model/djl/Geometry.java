package org.refusalscope.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Masks and rotary tables of one batch geometry, built lazily once per pass in the pass's scope (not in a block's
 * manager: every block reuses them).
 */
final class Geometry {
	private final NDManager scope;
	private final TokenBatch batch;
	private final ModelConfig config;
	private final float[] invFreq;
	private final DataType dtype;
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
			globalBias = bias(0);
		}
		return globalBias;
	}

	NDArray localBias() {
		if(localBias == null) {
			localBias = bias(config.slidingWindow());
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
}
