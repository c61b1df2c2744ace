package org.refusalscope.ui.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class WorkbenchArgumentsTest {

	@Test
	void readsRunAndScreenshotAndIgnoresPlatformArguments() {
		WorkbenchArguments args = WorkbenchArguments.parse(new String[]{"-clearPersistedState", "--run", "runs/a", "--screenshot=shot.png"});
		assertEquals(Optional.of(Path.of("runs/a")), args.run());
		assertEquals(Optional.of(Path.of("shot.png")), args.screenshot());
		assertEquals(Optional.empty(), WorkbenchArguments.parse(new String[0]).run());
		WorkbenchArguments setup = WorkbenchArguments.parse(new String[]{"--perspective", "setup", "--screenshot", "setup.png"});
		assertTrue(setup.setup());
		assertEquals(Optional.empty(), setup.run());
	}

	@Test
	void usageErrors() {
		assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkbenchArguments.parse(new String[]{"--screenshot", "a.png"}))
				.getMessage().startsWith("--screenshot needs --run"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkbenchArguments.parse(new String[]{"--run"})).getMessage()
				.startsWith("--run needs a value"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkbenchArguments.parse(new String[]{"--bogus", "x"}))
				.getMessage().startsWith("unknown option --bogus"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkbenchArguments.parse(new String[]{"--perspective", "charts"}))
				.getMessage().startsWith("--perspective must be results or setup"));
	}
}
