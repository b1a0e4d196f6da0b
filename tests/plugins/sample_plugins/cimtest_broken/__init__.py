import cimtest_module_that_does_not_exist  # noqa: F401 - the point of this test plugin
