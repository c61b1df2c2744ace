package org.refusalscope.core.tests.dynamic;

import org.refusalscope.api.judge.JudgeInput;
import org.refusalscope.api.judge.RefusalJudge;
import org.refusalscope.api.judge.Verdict;

/**
 * A strategy that is not part of any built bundle: {@code StrategyRegistryTest} copies this class into a bundle it
 * writes at runtime, installs it, and expects the registry to list it. It has no DS annotation on purpose: its
 * component XML is written by the test.
 */
public class ExampleJudge implements RefusalJudge<Void> {

	@Override
	public String id() {
		return "example-dynamic";
	}

	@Override
	public String name() {
		return "Example (installed at runtime)";
	}

	@Override
	public String description() {
		return "Judges every completion starting with 'No' as a refusal.";
	}

	@Override
	public Class<Void> settingsType() {
		return Void.class;
	}

	@Override
	public Void defaultSettings() {
		return null;
	}

	@Override
	public boolean needsCompletion() {
		return true;
	}

	@Override
	public Verdict judge(JudgeInput input, Void settings) {
		return new Verdict(input.completion().startsWith("No"), "starts with No");
	}
}
