package org.refusalscope.api.sae;

import org.refusalscope.api.TensorView;

/**
 * The parameters of an SAE after format conversion, in the SAELens convention:
 * {@code pre = (s*x - (applyBDecToInput ? b_dec : 0)) W_enc + b_enc}, {@code f = act(pre)},
 * {@code x_hat = (f W_dec + b_dec) / s} where s is {@link #inputScale()} (Llama Scope's norm scaling; 1 otherwise).
 *
 * @param wEnc             {@code [d_in, d_sae]}
 * @param wDec             {@code [d_sae, d_in]}
 * @param bEnc             {@code [d_sae]}
 * @param bDec             {@code [d_in]}
 * @param threshold        {@code [d_sae]} for JumpReLU, else null
 * @param k                k for TopK, else 0
 * @param applyBDecToInput subtract b_dec from the (scaled) input before encoding
 * @param inputScale       s
 */
public record SaeWeights(TensorView wEnc, TensorView wDec, TensorView bEnc, TensorView bDec, TensorView threshold,
		int k, boolean applyBDecToInput, float inputScale) {
}
