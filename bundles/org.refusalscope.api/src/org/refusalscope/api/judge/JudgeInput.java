package org.refusalscope.api.judge;

/**
 * What a judge may look at.
 *
 * @param prompt       the user request
 * @param completion   the generated completion, or null when none was generated
 * @param refusalScore log-odds of the refusal tokens at the first generated position
 */
public record JudgeInput(String prompt, String completion, double refusalScore) {
}
