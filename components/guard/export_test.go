package guard_test

import "github.com/labstack/echo/v4"

type echoContext = echo.Context
