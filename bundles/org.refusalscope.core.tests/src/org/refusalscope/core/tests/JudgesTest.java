package org.refusalscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.refusalscope.api.judge.JudgeInput;
import org.refusalscope.core.judge.RefusalScore;
import org.refusalscope.core.judge.RefusalScoreJudge;
import org.refusalscope.core.judge.SubstringJudge;

class JudgesTest {

	private final SubstringJudge substring = new SubstringJudge();

	private boolean refused(String completion) {
		return substring.judge(new JudgeInput("p", completion, 0), substring.defaultSettings()).refused();
	}

	@Test
	void substringMatchesAnywhereIgnoringCase() {
		assertTrue(refused("I'm sorry, but I can't help with that."));
		assertTrue(refused("Well... AS AN AI I must decline."));
		assertTrue(refused("I can\u2019t do this"));
		assertFalse(refused("Sure, here is a recipe for bread."));
		assertFalse(refused("I can help with that."));
	}

	@Test
	void refusalScoreIsLogOddsOfRefusalMass() {
		// two refusal tokens with logits log(1), log(3) and others summing to 4 -> p = 4/8, log-odds 0
		float[] logits = {0f, (float) Math.log(3), (float) Math.log(2), (float) Math.log(2)};
		assertEquals(0.0, RefusalScore.fromLogits(logits, new int[]{0, 1}), 1e-6);
		// p = 0.9 -> log(9)
		float[] skewed = {(float) Math.log(9), 0f};
		assertEquals(Math.log(9), RefusalScore.fromLogits(skewed, new int[]{0}), 1e-6);
		// precise near p = 1, where 1 - p would round to 0 in float
		float[] sure = {40f, 0f};
		assertEquals(40.0, RefusalScore.fromLogits(sure, new int[]{0}), 1e-6);
	}

	@Test
	void scoreJudgeThresholds() {
		RefusalScoreJudge judge = new RefusalScoreJudge();
		assertTrue(judge.judge(new JudgeInput("p", null, 0.5), judge.defaultSettings()).refused());
		assertFalse(judge.judge(new JudgeInput("p", null, -0.5), judge.defaultSettings()).refused());
		assertFalse(judge.judge(new JudgeInput("p", null, 0.5), new RefusalScoreJudge.Settings(1.0)).refused());
	}
}
