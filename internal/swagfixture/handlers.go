// The general API information swag reads (swag init --generalInfo
// handlers.go). It is kept apart from the package clause: the package
// documentation is in doc.go.
//
//	@title			Legacy pets
//	@version		1.0
//	@description	Pet handlers of a service written before Backplane.
//	@BasePath		/legacy

package swagfixture

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"
)

// Pet is a pet of the legacy service.
type Pet struct {
	ID      int64   `json:"id" example:"1"`
	Name    string  `json:"name" example:"Rex"`
	Species Species `json:"species"`
	Age     int     `json:"age,omitempty" minimum:"0"`
}

// Species is a pet's species.
type Species string

// The species the service knows.
const (
	Dog Species = "dog"
	Cat Species = "cat"
)

// NewPet is the body of a create.
type NewPet struct {
	Name    string  `json:"name" binding:"required" example:"Rex"`
	Species Species `json:"species" binding:"required"`
	Age     int     `json:"age,omitempty" minimum:"0"`
}

// Problem is the legacy service's error body.
type Problem struct {
	Message string `json:"message" example:"pet not found"`
}

// Store holds pets in memory.
type Store struct {
	mu   sync.Mutex
	pets []Pet
}

// Register mounts the handlers on g (the group at /legacy).
func (s *Store) Register(g *echo.Group) {
	g.GET("/pets", s.List)
	g.GET("/pets/:id", s.Get)
	g.POST("/pets", s.Create)
}

// List godoc
//
//	@Summary		List pets
//	@Description	Lists the pets, at most limit of them.
//	@Tags			legacy-pets
//	@ID				listLegacyPets
//	@Produce		json
//	@Param			limit	query		int	false	"How many pets at most"	minimum(1)	maximum(100)
//	@Success		200		{array}		Pet
//	@Failure		400		{object}	Problem
//	@Router			/pets [get]
func (s *Store) List(c echo.Context) error {
	limit := 100
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return c.JSON(http.StatusBadRequest, Problem{Message: "limit must be an integer from 1 to 100"})
		}
		limit = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append([]Pet{}, s.pets[:min(limit, len(s.pets))]...)
	return c.JSON(http.StatusOK, out)
}

// Get godoc
//
//	@Summary	Get a pet
//	@Tags		legacy-pets
//	@ID			getLegacyPet
//	@Produce	json
//	@Param		id	path		int	true	"Pet id"
//	@Success	200	{object}	Pet
//	@Failure	400	{object}	Problem
//	@Failure	404	{object}	Problem
//	@Router		/pets/{id} [get]
func (s *Store) Get(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return c.JSON(http.StatusBadRequest, Problem{Message: "id must be an integer"})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.pets {
		if p.ID == id {
			return c.JSON(http.StatusOK, p)
		}
	}
	return c.JSON(http.StatusNotFound, Problem{Message: "pet not found"})
}

// Create godoc
//
//	@Summary	Create a pet
//	@Tags		legacy-pets
//	@ID			createLegacyPet
//	@Accept		json
//	@Produce	json
//	@Param		pet	body		NewPet	true	"The new pet"
//	@Success	201	{object}	Pet
//	@Failure	400	{object}	Problem
//	@Router		/pets [post]
func (s *Store) Create(c echo.Context) error {
	var in NewPet
	if err := c.Bind(&in); err != nil || in.Name == "" || (in.Species != Dog && in.Species != Cat) {
		return c.JSON(http.StatusBadRequest, Problem{Message: "name and species (dog or cat) are required"})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := Pet{ID: int64(len(s.pets) + 1), Name: in.Name, Species: in.Species, Age: in.Age}
	s.pets = append(s.pets, p)
	return c.JSON(http.StatusCreated, p)
}
