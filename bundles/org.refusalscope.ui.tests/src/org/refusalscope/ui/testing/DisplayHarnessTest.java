package org.refusalscope.ui.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;

/** The harness itself: a real X display, a shell of the requested size, owned by the test thread. */
class DisplayHarnessTest {

	@Test
	void opensShellOnTheTestThread() {
		Display display = UiTestSupport.display();
		assertSame(Thread.currentThread(), display.getThread());
		Shell shell = UiTestSupport.shell(400, 300);
		try {
			shell.open();
			UiTestSupport.flush(display);
			assertEquals(400, shell.getBounds().width);
			assertEquals(300, shell.getBounds().height);
		} finally {
			shell.dispose();
		}
	}
}
