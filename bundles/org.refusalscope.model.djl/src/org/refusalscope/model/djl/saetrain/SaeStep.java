package org.refusalscope.model.djl.saetrain;

import java.util.HashMap;
import java.util.Map;

import org.refusalscope.api.sae.SaeArchitecture;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * One optimiser step with explicit, batched gradients (matrix products on the engine; no per-element Java loops).
 * <p>
 * Loss = ||x̂ - x||² / ||x - mean(x)||² (normalised MSE of the batch) + for JumpReLU λ · mean L0 + AuxK. TopK keeps
 * latents at or above each row's k-th largest pre-activation. JumpReLU {@code f = pre · H(pre - θ)} is trained with
 * the straight-through estimator of Rajamanoharan et al. (2024): the Heaviside step gets the pseudo-derivative
 * {@code -(1/ε) K((pre - θ)/ε)} with a rectangle kernel K, so θ learns from the L0 penalty and the reconstruction.
 * AuxK (Gao et al. 2024): latents that have not fired for {@code deadSteps} steps reconstruct the residual error
 * with their own top-k_aux, which gives dead latents a gradient; weight {@link #AUX_WEIGHT}. After each Adam update
 * the decoder rows are renormalised to unit length and thresholds kept positive.
 */
final class SaeStep {

	static final float AUX_WEIGHT = 1f / 32;
	static final float BETA1 = 0.9f;
	static final float BETA2 = 0.999f;
	static final float EPS = 1e-8f;
	/** JumpReLU STE bandwidth, for activations normalised to mean norm sqrt(d_in). */
	static final float BANDWIDTH = 0.05f;
	static final float MIN_THRESHOLD = 1e-4f;

	/** What one step measured, for progress and the final report. */
	record Stats(double sqError, double variance, double activeCount, float[] firedPerLatent) {
	}

	private SaeStep() {
	}

	/**
	 * @param x           {@code [B, d_in]}, already scaled by the state's input scale; closed by the caller
	 * @param deadSteps   a latent is dead after this many steps without firing
	 */
	static Stats run(SaeState s, NDArray x, int k, float sparsityCoeff, float learningRate, long deadSteps) {
		try(NDManager scope = s.manager.newSubManager()) {
			x.attach(scope);
			long batch = x.getShape().get(0);
			NDArray wEnc = s.p("W_enc"), wDec = s.p("W_dec"), bEnc = s.p("b_enc"), bDec = s.p("b_dec");
			NDArray xc = x.sub(bDec);
			NDArray pre = xc.matMul(wEnc).add(bEnc);
			NDArray positive = pre.gt(0f);
			NDArray gate;
			NDArray kernel = null;
			if(s.architecture == SaeArchitecture.TOPK) {
				NDArray kth = pre.topK(k, 1, true, false).get(0).min(new int[] {1}, true);
				gate = pre.gte(kth).logicalAnd(positive);
			} else {
				NDArray theta = s.p("threshold");
				gate = pre.gt(theta).logicalAnd(positive);
				kernel = pre.sub(theta).div(BANDWIDTH).abs().lt(0.5f).toType(DataType.FLOAT32, false);
			}
			NDArray mask = gate.toType(DataType.FLOAT32, false);
			NDArray f = pre.mul(mask);
			NDArray xHat = f.matMul(wDec).add(bDec);
			NDArray residual = xHat.sub(x);
			double variance = x.sub(x.mean(new int[] {0}, true)).square().sum().getFloat();
			double sqError = residual.square().sum().getFloat();
			float norm = (float) Math.max(variance, 1e-12);

			Map<String, NDArray> grads = new HashMap<>();
			NDArray g = residual.mul(2f / norm);
			NDArray gWDec = f.transpose().matMul(g);
			NDArray gBDec = g.sum(new int[] {0});
			NDArray gf = g.matMul(wDec.transpose());
			NDArray gPre = gf.mul(mask);
			if(kernel != null) {
				// dL/dθ = Σ_b -(1/ε) K · (θ · ∂L/∂f + λ/B)   (reconstruction through f, plus the L0 penalty)
				NDArray theta = s.p("threshold");
				NDArray perRow = gf.mul(theta).add(sparsityCoeff / batch).mul(kernel);
				grads.put("threshold", perRow.sum(new int[] {0}).mul(-1f / BANDWIDTH));
			}

			// AuxK on dead latents: reconstruct the error e = x - x̂ (no gradient into x̂)
			NDArray dead = s.stepsSinceFired.gte((float) deadSteps);
			long deadCount = (long) dead.toType(DataType.FLOAT32, false).sum().getFloat();
			if(deadCount > 0) {
				int kAux = (int) Math.min(deadCount, Math.max(2L * Math.max(k, 1), 16));
				NDArray deadF = dead.toType(DataType.FLOAT32, false);
				NDArray auxPre = pre.mul(deadF).add(deadF.sub(1f).mul(1e30f));
				NDArray auxKth = auxPre.topK(kAux, 1, true, false).get(0).min(new int[] {1}, true);
				NDArray auxMask = auxPre.gte(auxKth).logicalAnd(positive).logicalAnd(dead.expandDims(0))
						.toType(DataType.FLOAT32, false);
				NDArray fAux = pre.mul(auxMask);
				NDArray error = residual.neg();
				NDArray auxResidual = fAux.matMul(wDec).sub(error);
				double errorVariance = error.sub(error.mean(new int[] {0}, true)).square().sum().getFloat();
				NDArray ga = auxResidual.mul(2f * AUX_WEIGHT / (float) Math.max(errorVariance, 1e-12));
				gWDec = gWDec.add(fAux.transpose().matMul(ga));
				gPre = gPre.add(ga.matMul(wDec.transpose()).mul(auxMask));
			}
			grads.put("W_dec", gWDec);
			grads.put("W_enc", xc.transpose().matMul(gPre));
			grads.put("b_enc", gPre.sum(new int[] {0}));
			grads.put("b_dec", gBDec.sub(gPre.matMul(wEnc.transpose()).sum(new int[] {0})));

			s.step++;
			adam(s, grads, learningRate);
			// unit decoder rows keep the L0 penalty and AuxK meaningful (the encoder absorbs the scale)
			NDArray rowNorms = wDec.norm(new int[] {1}, true).maximum(1e-8f);
			wDec.divi(rowNorms);
			if(s.architecture == SaeArchitecture.JUMPRELU) {
				NDArray theta = s.p("threshold");
				theta.set(theta.lt(MIN_THRESHOLD), MIN_THRESHOLD);
			}
			NDArray firedNow = mask.sum(new int[] {0});
			NDArray firedAny = firedNow.gt(0f).toType(DataType.FLOAT32, false);
			// steps since fired: +1, reset to 0 where the latent fired in this batch
			s.stepsSinceFired.addi(1f).muli(firedAny.neg().add(1f));
			s.rowsSeen += batch;
			return new Stats(sqError, variance, mask.sum().getFloat(), firedNow.toFloatArray());
		}
	}

	private static void adam(SaeState s, Map<String, NDArray> grads, float learningRate) {
		float correction1 = (float) (1 - Math.pow(BETA1, s.step));
		float correction2 = (float) (1 - Math.pow(BETA2, s.step));
		for(Map.Entry<String, NDArray> entry : grads.entrySet()) {
			String name = entry.getKey();
			NDArray grad = entry.getValue();
			NDArray m = s.adamM.get(name).muli(BETA1).addi(grad.mul(1 - BETA1));
			NDArray v = s.adamV.get(name).muli(BETA2).addi(grad.square().mul(1 - BETA2));
			NDArray update = m.div(correction1).div(v.div(correction2).sqrt().add(EPS)).mul(learningRate);
			s.params.get(name).subi(update);
		}
	}
}
