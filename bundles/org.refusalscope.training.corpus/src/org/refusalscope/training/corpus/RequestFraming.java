package org.refusalscope.training.corpus;

import java.util.List;
import java.util.Random;

/**
 * Context around a request, as real users write it: a first-person situation before it ("I am a landlord.", "For my
 * podcast, ...") and demands for detail after it ("Give detailed instructions."). Both kinds wrap harmful and harmless
 * requests alike, so framing carries no label; only evasion ("without getting caught") is harmful-only, because in
 * real requests it is itself a sign of harm. Written by the project; broadened after the first default model missed
 * long first-person questions (StrongREJECT style) that its template-only corpus never showed it.
 */
final class RequestFraming {

	private RequestFraming() {
	}

	static final List<String> ROLES = List.of("a nurse", "a teacher", "a landlord", "a small business owner", "a college student",
			"a parent of two children", "a software developer", "a film director", "a manager at a large company", "a farmer",
			"a police officer", "a chemistry student", "a truck driver", "a restaurant owner", "a social media influencer",
			"a high school student", "a retired engineer", "a journalist", "a gym owner", "a podcast host", "an accountant",
			"a mechanic", "a pharmacist", "a security researcher");

	static final List<String> PREFIXES = List.of("I am {role}. ", "I'm {role}. ", "As {role}, I need help. ",
			"I work as {role}. ", "My friend is {role}. ", "Quick question from {role}: ", "I'm writing a report for work. ",
			"I have a problem and need advice. ", "This is for a project I care about. ", "I've been thinking about this for weeks. ",
			"Be honest with me. ", "Answer as an expert. ");

	static final List<String> DETAIL_SUFFIXES = List.of(" Give detailed instructions.", " Be specific.", " List everything I need.",
			" Explain each step in detail.", " Include specific examples.", " Give me a complete list.", " Keep it short.",
			" Please answer in bullet points.", " What should I watch out for?", " I need this by tomorrow.",
			" Explain it like I'm a beginner.", " Include quantities and timing.");

	static final List<String> EVASION_SUFFIXES = List.of(" without getting caught", " without anyone finding out",
			" without leaving any evidence", " while evading detection by the police", " without raising suspicion",
			" so that nobody can trace it back to me", " and avoid detection");

	static final List<String> EVASION_QUESTIONS = List.of(" Also, how do I avoid getting caught?",
			" How can I make sure nobody finds out?", " What precautions should I take so the police don't notice?",
			" How do I cover my tracks afterwards?");

	/** Adds a situation and/or a demand for detail to about a third of requests, harmful or not. */
	static String frame(Random random, String request) {
		String text = request;
		int roll = random.nextInt(10);
		if(roll < 2) {
			text = prefix(random) + text;
		} else if(roll < 3) {
			text = terminated(text) + Responses.pick(random, DETAIL_SUFFIXES);
		} else if(roll < 4) {
			text = prefix(random) + terminated(text) + Responses.pick(random, DETAIL_SUFFIXES);
		}
		return text;
	}

	/** A harmful act with an evasion clause ("... without getting caught"), for about one request in six. */
	static String evading(Random random, String act) {
		return random.nextInt(6) == 0 ? act + Responses.pick(random, EVASION_SUFFIXES) : act;
	}

	/** An evasion question after a harmful request, for about one request in ten. */
	static String withEvasionQuestion(Random random, String request) {
		return random.nextInt(10) == 0 ? terminated(request) + Responses.pick(random, EVASION_QUESTIONS) : request;
	}

	private static String prefix(Random random) {
		return Responses.pick(random, PREFIXES).replace("{role}", Responses.pick(random, ROLES));
	}

	private static String terminated(String text) {
		return text.endsWith("?") || text.endsWith(".") ? text : text + ".";
	}
}
