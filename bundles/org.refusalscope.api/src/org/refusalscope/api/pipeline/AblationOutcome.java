package org.refusalscope.api.pipeline;

/**
 * Result of ablating one feature set on one prompt.
 *
 * @param refusalScore log-odds of refusal tokens at the first generated position
 * @param refused      the verdict of the judge in use
 */
public record AblationOutcome(double refusalScore, boolean refused) {
}
